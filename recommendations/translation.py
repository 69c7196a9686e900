"""Which fields of the recommendations' vocabulary carry a name per language (django-modeltranslation).

``theme.name`` reads the active language's ``name_<lang>`` and falls back to English, so every page,
export, PDF and API answer shows the active language's name without knowing about translations.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Addressee, Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)
    empty_values = None  # a missing translation is NULL: the unique names never clash on ""


@register(Addressee)
class AddresseeTranslationOptions(TranslationOptions):
    fields = ("name",)
    empty_values = None
