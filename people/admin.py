"""Admin for the organisation. People are deactivated, never deleted."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from common.forms import SingleLineCharField
from people import services
from people.models import AccountEvent, Department, EmailChangeRequest, Employee, Position
from people.roles import ALL_ROLES

User = get_user_model()


class AuditedUserAdmin(UserAdmin):
    """Django's user admin, writing every email and role change to the account audit trail."""

    def save_model(self, request, obj, form, change):
        if change:
            before = User.objects.get(pk=obj.pk)
            obj._audit_before = (
                before.email,
                frozenset(before.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True)),
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        old_email, old_roles = getattr(form.instance, "_audit_before", ("", frozenset()))
        services.account_changes_record(
            actor=request.user, user=form.instance, old_email=old_email, old_roles=old_roles
        )


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The account audit trail: read only, nothing added, changed or deleted by hand."""

    list_display = ["at", "subject", "action", "detail", "actor"]
    list_filter = ["action"]
    search_fields = ["subject__username", "actor__username", "detail"]
    list_select_related = ["subject", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmailChangeRequest)
class EmailChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "old_email", "new_email", "requested_by", "requested_at", "confirmed_at"]
    list_select_related = ["user", "requested_by"]
    readonly_fields = [f.name for f in EmailChangeRequest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


class _NamedForm(forms.ModelForm):
    """A department's or position's name is one line (it reaches email subjects)."""

    class Meta:
        field_classes = {"name": SingleLineCharField}


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = _NamedForm
    list_display = ["name", "customer_facing", "head"]
    search_fields = ["name"]
    autocomplete_fields = ["head"]

    def save_model(self, request, obj, form, change) -> None:
        services.department_save(department=obj)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    form = _NamedForm
    search_fields = ["name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "position", "hired_on", "left_on", "customer_facing"]
    list_filter = ["department", "customer_facing", "left_on"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "department", "position"]
    autocomplete_fields = ["user"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A person with history (complaints, acknowledgements, trainings) is kept:
        # set "left on" instead.
        return False


# --- Notifications and reports ----------------------------------------------------
