"""Pages of conversations and messages: inbox, conversation, poll, edits, translations, blocks,
reports, help, pipeline steps, closing."""

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from deals import selectors, services
from deals.forms import (
    STEP_LABELS,
    BlockForm,
    EditForm,
    HelpForm,
    OpenForm,
    ReportForm,
    StepForm,
    TranslationForm,
)
from deals.glossary import glossary_terms
from deals.machine import machine_translate
from deals.models import BlockKind, ConversationStatus, MessageKind
from deals.rules import coordinator_access_forget, member_company_ids
from deals.views.helpers import reader_language
from portal.companies.models import Company
from portal.companies.selectors import company_get_for_user
from portal.core.redirects import safe_next
from portal.core.service_calls import call_service_for_form, call_service_for_view
from portal.core.storage import private_file_response

INBOX_PAGE = 50


def _decorate(request, conversation, messages: list) -> list:
    """Per message: the glossary aid and the machine translation in the reader's language, and the language
    a coordinator's translation of it is most likely for (``translate_into``)."""
    language = reader_language()
    own = member_company_ids(request.user)
    for message in messages:
        message.mine = message.company_id in own
        # Its author may still change the text (the edit window, a conversation that takes messages)
        message.editable = (
            message.mine
            and conversation.status == ConversationStatus.OPEN
            and services.message_editable(message)
        )
        # A coordinator's translation is for the other side: a Thai company's message into Japanese.
        message.translate_into = "ja" if message.company_id == conversation.thai_company_id else "th"
        message.glossary = []
        message.machine = ""
        if message.is_deleted or message.kind != "text" or message.language == language:
            continue
        message.glossary = glossary_terms(message.text, language=language)
        if not any(t.language == language for t in message.translation_list):
            message.machine = machine_translate(message.text, source=message.language, target=language)
    return messages


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.conversation_list_for_user(user=request.user), INBOX_PAGE).get_page(
        request.GET.get("page")
    )
    conversations = list(page)
    own = member_company_ids(request.user)
    for conversation in conversations:
        mine_is_thai = conversation.thai_company_id in own
        conversation.partner = conversation.japanese_company if mine_is_thai else conversation.thai_company
    return render(
        request,
        "deals/inbox.html",
        {"conversations": conversations, "page": page, "poll_seconds": settings.DEALS_POLL_SECONDS},
    )


@login_required
@require_POST
def conversation_open(request: HttpRequest, partner_pk: int) -> HttpResponse:
    partner = company_get_for_user(user=request.user, pk=partner_pk)
    form = OpenForm(request.POST)
    if not form.is_valid() or form.cleaned_data["company"] not in member_company_ids(request.user):
        raise Http404
    company = Company.objects.get(pk=form.cleaned_data["company"])
    result = call_service_for_view(
        request,
        services.conversation_open,
        company=company,
        partner=partner,
        actor=request.user,
        origin=form.cleaned_data["origin"],
    )
    if not result.ok:
        return redirect("companies:detail", pk=partner.pk)
    return redirect("deals:conversation", pk=result.value[0].pk)


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    is_member = rules.has_perm("deals.act_on_conversation", request.user, conversation)
    form = None
    if is_member:
        from deals.forms import MessageForm

        form = MessageForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = call_service_for_view(
                request,
                services.message_send,
                # a refused file or text is said at the message box (its error summary takes the focus),
                # not in a banner a long thread away from it
                form=form,
                conversation=conversation,
                actor=request.user,
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                files=form.cleaned_data["files"],
            )
            if result.ok:
                return redirect(reverse("deals:conversation", kwargs={"pk": pk}) + f"#m{result.value.pk}")
    elif request.method == "POST":
        raise Http404
    else:
        reason = selectors.coordinator_reason(user=request.user, conversation=conversation)
        services.coordinator_read_record(conversation=conversation, coordinator=request.user, reason=reason)
    before = request.GET.get("before")
    page = selectors.message_list(
        conversation=conversation, before=int(before) if before and before.isdigit() else None
    )
    _decorate(request, conversation, page)
    if is_member and page:
        services.conversation_mark_read(conversation=conversation, user=request.user, up_to_id=page[-1].pk)
        from portal.notifications.services import notification_mark_read_for_target

        notification_mark_read_for_target(user=request.user, target=conversation)
    own = member_company_ids(request.user)
    mine = conversation.thai_company if conversation.thai_company_id in own else conversation.japanese_company
    partner = conversation.other_company(mine.pk) if is_member else None
    block_kind = (
        (selectors.block_state(conversation=conversation, company_id=mine.pk) or "none") if is_member else ""
    )
    return render(
        request,
        "deals/conversation.html",
        {
            "conversation": conversation,
            "messages_page": page,
            "older": page[0].pk if len(page) == selectors.PAGE_SIZE else None,
            "is_member": is_member,
            "mine": mine if is_member else None,
            "partner": partner,
            # The partner's last member left the portal: nobody there reads what is written here.
            "partner_unstaffed": partner is not None
            and not (
                conversation.thai_staffed
                if partner.pk == conversation.thai_company_id
                else conversation.japanese_staffed
            ),
            "form": form,
            "block_form": BlockForm(prefix="block", initial={"kind": block_kind}) if is_member else None,
            # This company blocked the other: said above the thread, and no message form (sending is refused)
            "blocked_by_me": block_kind == BlockKind.BLOCK,
            "report_form": ReportForm(prefix="report"),
            "help_form": HelpForm(prefix="help"),
            "step_form": StepForm(prefix="step"),
            # The last step marked in the messages shown (no query: the page holds them).
            "last_step": next((m for m in reversed(page) if m.kind == MessageKind.EVENT and m.step), None),
            "step_labels": STEP_LABELS,
            "translation_form": TranslationForm()
            if rules.has_perm("deals.translate_message", request.user, conversation)
            else None,
            "can_close": rules.has_perm("deals.close_conversation", request.user, conversation),
            "reads": selectors.coordinator_reads(conversation=conversation),
            "poll_seconds": settings.DEALS_POLL_SECONDS,
            "last_id": page[-1].pk if page else 0,
        },
    )


@login_required
@require_GET
def conversation_poll(request: HttpRequest, pk: int) -> JsonResponse:
    """New messages after ``after`` as HTML (for an open conversation page), and the unread count."""
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    after = request.GET.get("after", "0")
    if not after.isdigit():
        raise Http404
    page = _decorate(
        request, conversation, selectors.message_list(conversation=conversation, after=int(after))
    )
    is_member = rules.has_perm("deals.act_on_conversation", request.user, conversation)
    if is_member and page:
        services.conversation_mark_read(conversation=conversation, user=request.user, up_to_id=page[-1].pk)
    html = (
        render_to_string(
            "deals/_messages.html",
            {
                "thread": page,
                "conversation": conversation,
                "is_member": is_member,
                "step_labels": STEP_LABELS,
            },
            request=request,
        )
        if page
        else ""
    )
    return JsonResponse({"html": html, "last_id": page[-1].pk if page else int(after)})


@login_required
@require_GET
def unread(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"unread": selectors.unread_count_for_user(user=request.user)})


def _own_side_message(request, pk):
    """A message of a conversation the user's company is in (coordinators who read it get 404)."""
    message = selectors.message_get_for_user(user=request.user, pk=pk)
    if not rules.has_perm("deals.act_on_conversation", request.user, message.conversation):
        raise Http404
    return message


@login_required
@require_POST
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    message = _own_side_message(request, pk)
    call_service_for_form(
        request,
        EditForm(request.POST),
        services.message_edit,
        actor=request.user,
        message=message,
        success=_("The message is changed."),
        refused=_("Write a message or attach a file."),
    )
    return redirect(reverse("deals:conversation", kwargs={"pk": message.conversation_id}) + f"#m{message.pk}")


@login_required
@require_POST
def message_delete(request: HttpRequest, pk: int) -> HttpResponse:
    message = _own_side_message(request, pk)
    call_service_for_view(
        request,
        services.message_delete,
        message=message,
        actor=request.user,
        success=_("The message is deleted."),
    )
    return redirect("deals:conversation", pk=message.conversation_id)


@login_required
@require_POST
def message_translate(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, pk=pk)
    if not rules.has_perm("deals.translate_message", request.user, message.conversation):
        raise Http404
    call_service_for_form(
        request,
        TranslationForm(request.POST),
        services.translation_add,
        actor=request.user,
        message=message,
        success=_("The translation is added."),
        refused=_("Choose a language and write the translation."),
    )
    return redirect(reverse("deals:conversation", kwargs={"pk": message.conversation_id}) + f"#m{message.pk}")


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.attachment_get_for_user(user=request.user, pk=pk)
    return private_file_response(item.file, download_name=item.name)


def _member_post(request, pk):
    return selectors.conversation_get_for_member(user=request.user, pk=pk)


@login_required
@require_POST
def conversation_block(request: HttpRequest, pk: int) -> HttpResponse:
    call_service_for_form(
        request,
        BlockForm(request.POST, prefix="block"),
        services.company_block_set,
        actor=request.user,
        conversation=_member_post(request, pk),
        success=_("Saved."),
    )
    return redirect("deals:conversation", pk=pk)


@login_required
@require_POST
def conversation_report(request: HttpRequest, pk: int) -> HttpResponse:
    call_service_for_form(
        request,
        ReportForm(request.POST, prefix="report"),
        services.abuse_report,
        actor=request.user,
        conversation=_member_post(request, pk),
        success=_("Thank you. A coordinator will look at your report."),
        refused=_("Say what happened."),
    )
    return redirect("deals:conversation", pk=pk)


@login_required
@require_POST
def conversation_help(request: HttpRequest, pk: int) -> HttpResponse:
    call_service_for_form(
        request,
        HelpForm(request.POST, prefix="help"),
        services.coordinator_invite,
        actor=request.user,
        conversation=_member_post(request, pk),
        success=_("A coordinator is asked to join. Both companies will see when they read the conversation."),
    )
    return redirect("deals:conversation", pk=pk)


@login_required
@require_POST
def conversation_step(request: HttpRequest, pk: int) -> HttpResponse:
    call_service_for_form(
        request,
        StepForm(request.POST, prefix="step"),
        services.conversation_mark_step,
        actor=request.user,
        conversation=_member_post(request, pk),
        success=_("The deal's stage is updated."),
        refused=_("Choose a step of the pipeline."),
    )
    return redirect("deals:conversation", pk=pk)


@login_required
@require_POST
def conversation_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator closes the conversation, or (``action=reopen``) opens a closed one again."""
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    if not rules.has_perm("deals.close_conversation", request.user, conversation):
        raise Http404
    if request.POST.get("action") == "reopen":
        call_service_for_view(
            request,
            services.conversation_reopen,
            conversation=conversation,
            actor=request.user,
            success=_("The conversation is open again; both companies are told."),
        )
        return redirect("deals:conversation", pk=conversation.pk)
    call_service_for_view(
        request,
        services.conversation_close,
        conversation=conversation,
        actor=request.user,
        success=_("The conversation is closed."),
    )
    # Back to where it was closed (the conversation's page, whose reopen panel is then the only way back to
    # it: the desk lists open work only) while the coordinator may still read it, else the desk. Closing
    # ends the open requests for help, and with them the access of a coordinator who had not taken one.
    coordinator_access_forget(request.user, conversation)
    if not rules.has_perm("deals.close_conversation", request.user, conversation):
        return redirect("deals:desk")
    return redirect(safe_next(request, reverse("deals:desk")))
