# Import an integration by its external id. The API never returns the
# credential: the next apply sends the configured one.
terraform import entropydata_powerbi_integration.finance finance-powerbi
