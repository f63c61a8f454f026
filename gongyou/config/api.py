"""The one NinjaAPI of Gongyou, under /api/v1/, with a router per app."""

from ninja import NinjaAPI

from gongyou.accounts.api import router as accounts_router
from gongyou.accounts.auth import BearerAuth
from gongyou.cases.api import router as cases_router
from gongyou.classifications.api import router as classifications_router
from gongyou.core.api import ReadableJSONRenderer, install_error_handlers, session_auth
from gongyou.employers.api import router as employers_router
from gongyou.exports.api import router as exports_router
from gongyou.imports.api import router as imports_router
from gongyou.indicators.api import router as indicators_router
from gongyou.jobs.api import router as jobs_router
from gongyou.portal.api import router as portal_router
from gongyou.publicservices.api import router as publicservices_router
from gongyou.recognition.api import router as recognition_router
from gongyou.regions.api import router as regions_router
from gongyou.settlement.api import router as settlement_router
from gongyou.stations.api import router as stations_router
from gongyou.training.api import router as training_router
from gongyou.workers.api import router as workers_router

api = NinjaAPI(
    title="Gongyou API",
    version="1",
    description=(
        "The contract partner systems integrate with. Authenticate with `Authorization: Bearer <token>` "
        "(POST /api/v1/auth/token). Errors share one shape: `{code, message, fields}`. Lists are "
        "`{items, count}` with `limit` and `offset`. ID numbers and phones are masked; reveal is audited."
    ),
    auth=[BearerAuth(), session_auth()],
    urls_namespace="api",
    renderer=ReadableJSONRenderer(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", regions_router)
api.add_router("", classifications_router)
api.add_router("", workers_router)
api.add_router("", stations_router)
api.add_router("", employers_router)
api.add_router("", cases_router)
api.add_router("", imports_router)
api.add_router("", exports_router)
api.add_router("", training_router)
api.add_router("", settlement_router)
api.add_router("", jobs_router)
api.add_router("", recognition_router)
api.add_router("", publicservices_router)
api.add_router("", indicators_router)
api.add_router("", portal_router)
