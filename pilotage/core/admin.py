from django.contrib import admin

from .models import PersonalDataConfirmation, Revision, RevisionChange


class RevisionChangeInline(admin.TabularInline):
    model = RevisionChange
    extra = 0
    readonly_fields = ["field", "label", "old_value", "new_value"]
    can_delete = False


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_type", "object_id", "user", "source"]
    list_filter = ["source", "content_type"]
    inlines = [RevisionChangeInline]
    readonly_fields = ["content_type", "object_id", "user", "source", "version", "comment"]


@admin.register(PersonalDataConfirmation)
class PersonalDataConfirmationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "content_type", "object_id", "field", "kinds"]
    list_filter = ["content_type"]
    readonly_fields = [
        "created_at",
        "user",
        "content_type",
        "object_id",
        "field",
        "kinds",
        "excerpts",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # trace : consultable, jamais modifiée
