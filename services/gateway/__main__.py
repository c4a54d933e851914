from services.gateway.app import SPEC
from shared.service import main

main(SPEC)
