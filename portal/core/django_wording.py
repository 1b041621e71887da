"""Django's own strings whose Thai translation is there but wrong, in the portal's words.

Django's Thai admin catalogue says "ไม่ว่าง" ("busy") for "None available" (the empty list of recent actions
on the admin's front page) and addresses the reader as ฉัน where the portal writes ท่าน (docs/glossary.md).
Its forms say "ฟิลด์นี้จำเป็น" (a developer's "field") for a required field and spell upload อัพโหลด, with
Western full stops, where the portal writes อัปโหลด, and "กรอกหมายเลข" ("enter an identifying number") for
"Enter a whole number."; its Japanese says "このフィールド".
This module is never imported: it only marks those msgids, exactly as Django writes them, so that
``make messages`` keeps them in ``locale/th`` and ``locale/ja``, whose entries win over Django's
(``LOCALE_PATHS``). The strings Django's Thai lacks altogether are in ``portal/core/thirdparty_strings.py``;
allauth's, in ``portal/accounts/allauth_strings.py``.
"""

from django.utils.translation import gettext_noop

ADMIN = (
    gettext_noop("None available"),
    gettext_noop("My actions"),
    gettext_noop("No, take me back"),
)

FORMS = (
    gettext_noop("This field is required."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Enter a whole number."),
)
