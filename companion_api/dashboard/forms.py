"""WTForms forms: FlaskForm ones carry the CSRF token, the GET filter form does not."""
from flask_wtf import FlaskForm
from wtforms import (DateField, EmailField, Form, PasswordField, SearchField, SelectChoice,
                     SelectField, StringField)
from wtforms.validators import (DataRequired, EqualTo, Length, Optional, StopValidation,
                                ValidationError)

from ..models import STATUSES
from ..schema_base import NUL

ACCOUNT_DELETE_PHRASE = "delete my account"


def no_nul(_form, field):
    """PostgreSQL text cannot hold NUL: refused, as the API's schemas refuse it."""
    if isinstance(field.data, str) and NUL in field.data:
        raise StopValidation("NUL characters are not allowed.")


class LoginForm(FlaskForm):
    email = EmailField("Email", [no_nul, DataRequired(), Length(max=320)])
    password = PasswordField("Password", [DataRequired(), Length(max=1024)])


class ConfirmForm(FlaskForm):
    """A bare POST form: its only field is the CSRF token."""


class RenameDeviceForm(FlaskForm):
    name = StringField("Name", [no_nul, DataRequired(), Length(min=1, max=100)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", [DataRequired(), Length(max=1024)])
    new = PasswordField("New password", [no_nul, DataRequired(), Length(min=8, max=1024)])
    repeat = PasswordField("New password again",
                           [DataRequired(), EqualTo("new", message="The two do not match.")])


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Password", [DataRequired(), Length(max=1024)])
    confirm = StringField(f'Type "{ACCOUNT_DELETE_PHRASE}"', [DataRequired()])

    def validate_confirm(self, field):
        if field.data.strip() != ACCOUNT_DELETE_PHRASE:
            raise ValidationError(f'Type exactly "{ACCOUNT_DELETE_PHRASE}".')


def _choices(label, values):
    """An "any" choice, then (value, label) pairs."""
    return [SelectChoice("", label)] + [SelectChoice(v, text) for v, text in values]


class FilterForm(Form):
    """History filters, read from the query string."""

    q = SearchField("Search", [Optional(), no_nul, Length(max=200)])
    language = SelectField("Language", [Optional()])
    status = SelectField("Status", [Optional()],
                         choices=_choices("Any status", [(s, s) for s in STATUSES]))
    site = StringField("Site", [Optional(), no_nul, Length(max=255)])
    device = SelectField("Device", [Optional()])
    since = DateField("From", [Optional()])
    until = DateField("To", [Optional()])

    def set_choices(self, languages, devices):
        self.language.choices = _choices("Any language", [(lang, lang) for lang in languages])
        self.device.choices = _choices("Any device", [(str(d.public_id), d.name) for d in devices])
