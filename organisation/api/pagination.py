"""Page-number pagination with a hard cap on page_size (RELIABILITY R4.5)."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class CappedPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.WFM_MAX_PAGE_SIZE
