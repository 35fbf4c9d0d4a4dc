import {
  to = entropydata_powerbi_data_product.revenue
  id = "revenue-model"
}
