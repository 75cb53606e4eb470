from .routes import blp, public_blp

__all__ = ["blp", "public_blp"]
