"""A console email backend that prints emails the way a person reads them.

Django's console backend prints the raw MIME message: the weekly report's charts
would fill the terminal with base64. This one prints the headers, the plain-text
part, and one line per HTML alternative and attached image.
"""

from __future__ import annotations

from email.mime.base import MIMEBase

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message) -> None:
        rule = "=" * 78
        lines = [
            rule,
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            rule,
            message.body.rstrip(),
            "-" * 78,
        ]
        for content, mimetype in getattr(message, "alternatives", []):
            lines.append(f"[{mimetype} alternative, {len(content)} characters]")
        for attachment in message.attachments:
            if isinstance(attachment, MIMEBase):
                name = attachment.get_filename() or attachment.get("Content-ID", "")
                size = len(attachment.get_payload(decode=True) or b"")
                lines.append(
                    f"[{attachment.get_content_type()} {name}, {size} bytes, {attachment.get('Content-ID')}]"
                )
            else:
                lines.append(f"[attachment {attachment[0]}]")
        self.stream.write("\n".join(lines) + "\n\n")
