"""Forms of the account pages: the person, and the organization they act for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organization
from .services import OrganizationRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class AccountForm(forms.Form):
    """E-mail and password; the e-mail is the username, so people log in with it."""

    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        # An address in use is not refused here: the form would tell anyone who has an account.
        # user_signup answers the same way and tells the address's owner by e-mail instead.
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class OrganizationChoiceForm(forms.Form):
    """Whom the person acts for: a new organization for the secretariat to verify, or an existing one."""

    NEW, JOIN = "new", "join"

    choice = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=[(JOIN, _("Ask to join an organization already registered")), (NEW, _("Register a new organization"))],
        widget=forms.RadioSelect,
        initial=JOIN,
    )
    title = forms.CharField(label=_("Your job title"), max_length=200, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization to join"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Choose an organization"),
    )
    name = forms.CharField(label=_("Name of the organization"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("Contact e-mail of the organization"), required=False)

    def __init__(self, *args: Any, user: User | AnonymousUser | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Only organizations anybody may see are offered: verified ones.
        queryset = Organization.objects.visible_to(AnonymousUser()).order_by("name")
        if user is not None and user.is_authenticated:
            queryset = queryset.exclude(memberships__user=user)
        self.fields["organization"].queryset = queryset  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("choice") == self.JOIN:
            if not cleaned.get("organization"):
                self.add_error("organization", _("Choose the organization you work for."))
        elif cleaned.get("choice") == self.NEW:
            for name in ("name", "kind", "country"):
                if not cleaned.get(name):
                    self.add_error(name, _("This field is required to register an organization."))
            name = " ".join((cleaned.get("name") or "").split())
            # Only listed (verified) organizations: an unlisted one is not disclosed.
            if name and Organization.objects.verified().filter(name__iexact=name).exists():
                self.add_error("name", _("An organization of this name is already registered: ask to join it instead."))
        return cleaned

    def organization_request(self) -> OrganizationRequest | None:
        if self.cleaned_data["choice"] != self.NEW:
            return None
        data = self.cleaned_data
        return OrganizationRequest(
            name=data["name"],
            kind=data["kind"],
            country=data["country"],
            website=data.get("website") or "",
            contact_email=data.get("contact_email") or "",
        )

    def organization_to_join(self) -> Organization | None:
        if self.cleaned_data["choice"] != self.JOIN:
            return None
        organization: Organization = self.cleaned_data["organization"]
        return organization


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: our research team's dashboard."),
    )
