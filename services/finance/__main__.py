from services.finance.app import SPEC
from shared.service import main

main(SPEC)
