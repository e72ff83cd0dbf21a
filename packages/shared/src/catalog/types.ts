/** The catalog of makes and models: one source for the API (resources) and the price calculator (base prices). */
export interface Manufacturer {
  /** kebab-case, e.g. "ford" */
  code: string;
  /** display name, e.g. "Ford" */
  name: string;
}

export interface CarModel {
  /** kebab-case, prefixed with the manufacturer, e.g. "ford-fiesta" */
  code: string;
  manufacturerCode: string;
  /** display name, e.g. "Fiesta" */
  name: string;
  /** Price of the model new, in whole pounds: the start of every used-car price. */
  basePrice: number;
}

export interface Catalog {
  manufacturers: Manufacturer[];
  models: CarModel[];
}
