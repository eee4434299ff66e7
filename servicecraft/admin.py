"""Admin for the organisation. People are deactivated, never deleted."""

from django.contrib import admin

from .models import Department, Employee, Position


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "customer_facing", "head"]
    search_fields = ["name"]
    autocomplete_fields = ["head"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
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
