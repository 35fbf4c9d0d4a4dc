# Import a data product by its id. The output port is read from the current
# assets, and the upstream links from the access agreements this provider made.
terraform import entropydata_powerbi_data_product.revenue revenue-model
