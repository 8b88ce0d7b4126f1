from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .serializers import MeSerializer


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The logged-in user and their role."""
    return Response(MeSerializer(request.user).data)
