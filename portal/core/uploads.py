"""An upload handler that stops storing a file at a size limit (the rest of the body is read and dropped),
so an oversized upload never reaches the disk or a parser; the view then says what the limit is."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    """Put first in ``request.upload_handlers`` before the body is read (see the import view)."""

    def __init__(self, limit: int, request=None) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
