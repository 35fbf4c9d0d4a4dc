import {
  to = entropydata_powerbi_integration.finance
  id = "finance-powerbi"
}
