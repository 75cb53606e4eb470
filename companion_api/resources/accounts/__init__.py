from .routes import account_blp, auth_blp

__all__ = ["account_blp", "auth_blp"]
