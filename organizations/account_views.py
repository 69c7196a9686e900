"""Sign-up, e-mail confirmation, My organization, member decisions and verification.

Log in, log out and password reset/change are Django's own views (``django.contrib.auth.urls``);
axes throttles them through the authentication backend.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .access import secretariat_required, signed_in
from .forms import AccountForm, ApiTokenForm, MembershipRoleForm, OrganizationChoiceForm, ResendConfirmationForm
from .models import ApiToken, Membership, Organization, is_secretariat
from .second_factor import has_second_factor

CONFIRM_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("my_organization_index")
    account = AccountForm(request.POST or None)
    choice = OrganizationChoiceForm(request.POST or None)
    if request.method == "POST":
        if account.is_valid() and choice.is_valid():
            try:
                services.user_signup(
                    email=account.cleaned_data["email"],
                    first_name=account.cleaned_data["first_name"],
                    last_name=account.cleaned_data["last_name"],
                    password=account.cleaned_data["password1"],
                    title=choice.cleaned_data["title"],
                    new_organization=choice.organization_request(),
                    join_organization=choice.organization_to_join(),
                )
            except services.AccountError as error:
                account.add_error(None, str(error))
            else:
                return redirect("signup_done")
        return render(request, "organizations/signup.html", {"account": account, "choice": choice}, status=400)
    return render(request, "organizations/signup.html", {"account": account, "choice": choice})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "organizations/signup_done.html")


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@never_cache  # shows the address being confirmed
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that fetch links must not activate accounts."""
    user = _user_from_uid(uidb64)
    valid = user is not None and services.email_confirmation_token.check_token(user, token)
    if not valid or user is None:
        return render(request, "organizations/signup_confirm.html", {"valid": False}, status=400)
    if request.method == "POST":
        services.user_confirm_email(user=user)
        login(request, user, backend=CONFIRM_BACKEND)  # login() rotates the session key
        messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
        return redirect("my_organization_index")
    return render(request, "organizations/signup_confirm.html", {"valid": True, "confirm_user": user})


def signup_resend(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.signup_confirmation_resend(email=form.cleaned_data["email"])
        return redirect("signup_done")
    return render(request, "organizations/signup_resend.html", {"form": form})


# --- My organization -------------------------------------------------------------------------


@login_required
def my_organization_index(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(user=signed_in(request))
        .exclude(state=Membership.State.REJECTED)
        .select_related("organization")
    )
    if len(memberships) == 1:
        return redirect("my_organization", slug=memberships[0].organization.slug)
    return render(
        request,
        "organizations/my_organization_index.html",
        {"memberships": memberships, "choice": OrganizationChoiceForm(user=request.user)},
    )


@require_POST
def organization_choose(request: HttpRequest) -> HttpResponse:
    """A signed-in person asks to join an organization, or registers a new one."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("my_organization_index"))
    choice = OrganizationChoiceForm(request.POST, user=request.user)
    if choice.is_valid():
        try:
            new = choice.organization_request()
            if new is not None:
                organization = services.organization_request(
                    user=request.user,
                    request=new,
                    title=choice.cleaned_data["title"],
                )
                messages.success(request, _("Your organization is registered; the secretariat will verify it."))
            else:
                membership = services.membership_request(
                    user=request.user,
                    organization=choice.organization_to_join(),  # type: ignore[arg-type]  # JOIN was chosen
                    title=choice.cleaned_data["title"],
                )
                organization = membership.organization
                messages.success(request, _("Your request is sent to the organization's administrators."))
            return redirect("my_organization", slug=organization.slug)
        except services.AccountError as error:
            choice.add_error(None, str(error))
    return render(
        request, "organizations/my_organization_index.html", {"memberships": [], "choice": choice}, status=400
    )


# Admins see their members' e-mail addresses here: "Cache-Control: private, no-store" (never_cache),
# so no shared proxy or browser cache keeps a copy.
@never_cache
@login_required
def my_organization(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.filter(user=signed_in(request))
        .exclude(state=Membership.State.REJECTED)
        .select_related("organization"),
        organization__slug=slug,
    )
    organization = membership.organization
    is_admin = (
        membership.state == Membership.State.APPROVED and membership.role == Membership.Role.ADMIN
    ) or is_secretariat(request.user)
    members: list[Membership] = []
    if is_admin:
        members = list(
            Membership.objects.filter(organization=organization)
            .exclude(state=Membership.State.REJECTED)
            # The API tokens' stand-in reader is no person: it is listed with the tokens instead.
            .exclude(user__api_tokens_read__isnull=False)
            .select_related("user")
            .order_by("state", "user__last_name", "user__username")
        )
    previous_visit = services.membership_visit(membership=membership)
    return render(
        request,
        "organizations/my_organization.html",
        {
            "membership": membership,
            "organization": organization,
            "is_admin": is_admin,
            "approved_members": [m for m in members if m.state == Membership.State.APPROVED],
            "pending_members": [m for m in members if m.state == Membership.State.PENDING],
            "roles": Membership.Role.choices,
            "previous_visit": previous_visit,
            "has_second_factor": is_admin and has_second_factor(request.user),
        },
    )


def _editable_membership(request: HttpRequest, pk: int) -> Membership | HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("my_organization_index"))
    return get_object_or_404(Membership.objects.editable_by(request.user).select_related("organization", "user"), pk=pk)


def _back_to(request: HttpRequest, membership: Membership) -> HttpResponse:
    if Membership.objects.filter(user=signed_in(request), organization=membership.organization).exists():
        return redirect("my_organization", slug=membership.organization.slug)
    return redirect("admin:organizations_organization_change", membership.organization.pk)


@require_POST
def membership_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _decide(request, pk, approve=True)


@require_POST
def membership_reject(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _decide(request, pk, approve=False)


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponseBase:
    membership = _editable_membership(request, pk)
    if not isinstance(membership, Membership):
        return membership
    try:
        services.membership_decide(membership=membership, approve=approve, by=signed_in(request))
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        name = membership.user.get_full_name() or membership.user.username
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s is declined.") % {"name": name})
    return _back_to(request, membership)


@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponseBase:
    membership = _editable_membership(request, pk)
    if not isinstance(membership, Membership):
        return membership
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return _back_to(request, membership)
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=signed_in(request))
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role is changed."))
    return _back_to(request, membership)


# --- Secretariat: verification ---------------------------------------------------------------


@secretariat_required
@never_cache  # requesters' e-mail addresses
def organizations_pending(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.verifiable_by(request.user)
        .filter(verified_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Membership.Role.ADMIN).select_related("user"),
                to_attr="admins",
            )
        )
        .order_by("created_at")
    )
    # A registration that repeats a verified organization's name is offered for merging into it.
    names = [o.name.lower() for o in organizations]
    verified = {o.name.lower(): o for o in Organization.objects.verified() if o.name.lower() in names}
    rows = [(organization, verified.get(organization.name.lower())) for organization in organizations]
    return render(request, "organizations/organizations_pending.html", {"rows": rows})


@require_POST
@secretariat_required
def organization_verify(request: HttpRequest, slug: str) -> HttpResponseBase:
    organization = get_object_or_404(Organization.objects.verifiable_by(request.user), slug=slug)
    try:
        services.organization_verify(organization=organization, by=signed_in(request))
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": organization.name})
    return redirect("organizations_pending")


@require_POST
@secretariat_required
def organization_merge(request: HttpRequest, slug: str) -> HttpResponseBase:
    duplicate = get_object_or_404(Organization.objects.verifiable_by(request.user), slug=slug)
    into = Organization.objects.verified().filter(name__iexact=duplicate.name).first()
    if into is None:
        raise Http404
    try:
        services.organization_merge(duplicate=duplicate, into=into, by=signed_in(request))
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The registration is merged into %(name)s.") % {"name": into.name})
    return redirect("organizations_pending")


# --- The person's own data --------------------------------------------------------------------


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Download what the portal holds about you, or delete your account (POST, with your password)."""
    user = signed_in(request)
    if request.method == "POST":
        if not user.check_password(request.POST.get("password", "")):
            messages.error(request, _("That is not your password: the account is not deleted."))
            return render(request, "organizations/my_data.html", status=400)
        try:
            services.account_delete(user=user)
        except services.AccountError as error:
            messages.error(request, str(error))
            return render(request, "organizations/my_data.html", status=400)
        logout(request)
        messages.success(request, _("Your account is deleted. Endorsements you made stay with your organization."))
        return redirect("home")
    return render(request, "organizations/my_data.html")


@never_cache
@login_required
def my_data_download(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(selectors.account_data(user=signed_in(request)), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="gsx-portal-my-data.json"'
    return response


# --- API tokens: made and revoked by the organization's administrators --------------------------


@never_cache  # the page that shows a new key once must not be kept by any cache
@login_required
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.administered_by(request.user), slug=slug)
    form = ApiTokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            organization=organization, name=form.cleaned_data["name"], by=signed_in(request)
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.editable_by(request.user).filter(organization=organization).select_related("created_by")
    return render(
        request,
        "organizations/api_tokens.html",
        {"organization": organization, "form": form, "new_key": new_key, "tokens": list(tokens)},
    )


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.editable_by(request.user), organization__slug=slug, pk=pk)
    services.api_token_revoke(token=token, by=signed_in(request))
    messages.success(request, _("The token “%(name)s” no longer opens the API.") % {"name": token.name})
    return redirect("api_tokens", slug=slug)
