/**
 * The seed catalog Forecourt ships: written by this project (not copied from any dataset).
 * Base prices are plausible UK new-car list prices in whole pounds (entry trim, 2025-ish).
 * Model codes are `<manufacturerCode>-<model name in kebab-case>`, the convention Autobarn data uses too,
 * so imported vehicles of the same model land on the same catalog entry.
 */
import type { CarModel, Catalog, Manufacturer } from "./types.ts";

type MakeRow = [code: string, name: string, models: [name: string, basePrice: number][]];

const MAKES: MakeRow[] = [
  ["abarth", "Abarth", [["500e", 34_200], ["595", 22_500], ["695", 27_000], ["600e", 36_500], ["124 Spider", 28_000], ["Punto", 17_500]]],
  ["alfa-romeo", "Alfa Romeo", [["Giulia", 42_000], ["Stelvio", 48_000], ["Tonale", 36_000], ["Junior", 30_000], ["Giulietta", 25_000], ["MiTo", 17_000], ["4C", 52_000]]],
  ["aston-martin", "Aston Martin", [["Vantage", 165_000], ["DB12", 200_000], ["DBX", 190_000], ["Vanquish", 330_000], ["DBS", 245_000], ["Rapide", 150_000]]],
  ["audi", "Audi", [["A1", 22_900], ["A3", 30_500], ["A4", 38_000], ["A5", 41_000], ["A6", 46_000], ["A8", 82_000], ["Q2", 27_500], ["Q3", 35_000], ["Q5", 50_000], ["Q7", 70_000], ["Q8", 78_000], ["TT", 38_000], ["R8", 150_000], ["e-tron GT", 105_000]]],
  ["bentley", "Bentley", [["Continental GT", 210_000], ["Flying Spur", 200_000], ["Bentayga", 185_000], ["Mulsanne", 230_000]]],
  ["bmw", "BMW", [["1 Series", 30_500], ["2 Series", 33_500], ["3 Series", 40_500], ["4 Series", 45_000], ["5 Series", 51_000], ["7 Series", 100_000], ["X1", 35_500], ["X3", 50_000], ["X5", 73_000], ["X7", 95_000], ["Z4", 45_000], ["i4", 51_000], ["iX", 70_000], ["i3", 35_000]]],
  ["byd", "BYD", [["Dolphin", 26_200], ["Atto 3", 37_000], ["Seal", 45_700], ["Seal U", 39_900], ["Sealion 7", 45_000], ["Han", 50_000]]],
  ["citroen", "Citroën", [["C1", 12_500], ["C3", 18_000], ["C3 Aircross", 22_000], ["C4", 26_000], ["C5 Aircross", 30_000], ["C5 X", 32_000], ["Berlingo", 27_000], ["Ami", 7_700]]],
  ["cupra", "Cupra", [["Born", 35_000], ["Formentor", 33_000], ["Leon", 31_000], ["Ateca", 38_000], ["Tavascan", 47_000], ["Terramar", 37_000]]],
  ["dacia", "Dacia", [["Sandero", 14_000], ["Sandero Stepway", 16_000], ["Duster", 19_000], ["Jogger", 19_500], ["Spring", 14_800], ["Logan", 11_000], ["Bigster", 25_000]]],
  ["ds", "DS", [["DS 3", 33_000], ["DS 4", 33_500], ["DS 7", 41_000], ["DS 9", 49_000], ["DS 5", 30_000]]],
  ["ferrari", "Ferrari", [["Roma", 185_000], ["296 GTB", 245_000], ["SF90 Stradale", 390_000], ["Purosangue", 315_000], ["812 Superfast", 265_000], ["F8 Tributo", 205_000], ["12Cilindri", 340_000]]],
  ["fiat", "Fiat", [["500", 15_500], ["500e", 28_000], ["500X", 24_000], ["Panda", 15_000], ["Tipo", 21_000], ["600e", 32_000], ["Grande Panda", 21_000], ["Punto", 14_000]]],
  ["ford", "Ford", [["Fiesta", 19_500], ["Focus", 24_800], ["Puma", 26_000], ["Kuga", 32_000], ["Mustang", 55_000], ["Mustang Mach-E", 48_000], ["Explorer", 40_000], ["Ranger", 33_000], ["Ka", 11_000], ["Mondeo", 27_000], ["S-Max", 34_000], ["Galaxy", 36_000]]],
  ["genesis", "Genesis", [["G70", 38_000], ["G80", 48_000], ["GV60", 47_000], ["GV70", 46_000], ["GV80", 66_000]]],
  ["honda", "Honda", [["Jazz", 22_000], ["Civic", 32_000], ["HR-V", 31_000], ["ZR-V", 36_000], ["CR-V", 43_000], ["e:Ny1", 45_000], ["Accord", 28_000]]],
  ["hyundai", "Hyundai", [["i10", 15_000], ["i20", 19_500], ["i30", 23_500], ["Bayon", 21_000], ["Kona", 27_000], ["Tucson", 33_000], ["Santa Fe", 47_000], ["Ioniq 5", 40_000], ["Ioniq 6", 47_000], ["Inster", 23_500]]],
  ["jaguar", "Jaguar", [["XE", 38_000], ["XF", 41_000], ["F-Type", 70_000], ["E-Pace", 40_000], ["F-Pace", 52_000], ["I-Pace", 70_000], ["XJ", 75_000]]],
  ["jeep", "Jeep", [["Avenger", 25_000], ["Renegade", 30_000], ["Compass", 36_000], ["Wrangler", 58_000], ["Grand Cherokee", 80_000], ["Cherokee", 35_000]]],
  ["kia", "Kia", [["Picanto", 14_500], ["Rio", 17_000], ["Stonic", 21_500], ["Ceed", 23_000], ["Niro", 29_000], ["Sportage", 31_000], ["Sorento", 46_000], ["EV3", 33_000], ["EV6", 45_000], ["EV9", 65_000]]],
  ["lamborghini", "Lamborghini", [["Huracan", 210_000], ["Urus", 200_000], ["Revuelto", 460_000], ["Aventador", 340_000], ["Temerario", 260_000]]],
  ["land-rover", "Land Rover", [["Defender", 57_000], ["Discovery", 62_000], ["Discovery Sport", 42_000], ["Range Rover", 105_000], ["Range Rover Sport", 82_000], ["Range Rover Velar", 55_000], ["Range Rover Evoque", 44_000]]],
  ["lexus", "Lexus", [["UX", 35_000], ["NX", 48_000], ["RX", 67_000], ["ES", 44_000], ["LBX", 30_000], ["RZ", 52_000], ["LC", 100_000]]],
  ["lotus", "Lotus", [["Emira", 78_000], ["Eletre", 90_000], ["Emeya", 100_000], ["Elise", 45_000], ["Exige", 65_000], ["Evora", 85_000]]],
  ["maserati", "Maserati", [["Ghibli", 70_000], ["Levante", 80_000], ["Grecale", 62_000], ["GranTurismo", 125_000], ["MC20", 190_000], ["Quattroporte", 90_000]]],
  ["mazda", "Mazda", [["Mazda2", 19_500], ["Mazda3", 24_000], ["CX-30", 26_000], ["CX-5", 30_000], ["CX-60", 43_000], ["CX-80", 50_000], ["MX-5", 28_000], ["MX-30", 30_000]]],
  ["mercedes", "Mercedes-Benz", [["A-Class", 33_000], ["B-Class", 35_000], ["C-Class", 47_000], ["E-Class", 55_000], ["S-Class", 100_000], ["CLA", 38_000], ["GLA", 38_000], ["GLC", 53_000], ["GLE", 75_000], ["G-Class", 150_000], ["EQA", 45_000], ["EQE", 75_000]]],
  ["mg", "MG", [["MG3", 18_500], ["MG4", 27_000], ["MG5", 31_000], ["ZS", 20_000], ["HS", 25_000], ["Cyberster", 55_000], ["MG S5", 31_000]]],
  ["mini", "Mini", [["Cooper", 22_500], ["Cooper Convertible", 28_000], ["Aceman", 32_000], ["Countryman", 33_000], ["Clubman", 28_000], ["Paceman", 22_000]]],
  ["mitsubishi", "Mitsubishi", [["Outlander", 40_000], ["Eclipse Cross", 31_000], ["ASX", 24_000], ["L200", 33_000], ["Mirage", 14_000], ["Shogun", 38_000]]],
  ["nissan", "Nissan", [["Micra", 17_500], ["Juke", 23_000], ["Qashqai", 30_000], ["X-Trail", 36_000], ["Leaf", 29_000], ["Ariya", 40_000], ["Note", 15_500], ["GT-R", 100_000], ["Navara", 32_000]]],
  ["peugeot", "Peugeot", [["108", 12_500], ["208", 20_000], ["2008", 26_000], ["308", 27_000], ["3008", 33_000], ["408", 33_000], ["5008", 38_000], ["508", 36_000], ["Rifter", 27_000]]],
  ["polestar", "Polestar", [["Polestar 2", 45_000], ["Polestar 3", 72_000], ["Polestar 4", 60_000]]],
  ["porsche", "Porsche", [["911", 105_000], ["718 Cayman", 58_000], ["718 Boxster", 60_000], ["Taycan", 86_000], ["Macan", 70_000], ["Cayenne", 80_000], ["Panamera", 90_000]]],
  ["renault", "Renault", [["Clio", 18_500], ["Captur", 23_500], ["Megane", 32_000], ["Austral", 35_000], ["Arkana", 28_000], ["Scenic", 37_000], ["Symbioz", 29_000], ["5", 23_000], ["Zoe", 27_000], ["Twingo", 12_500]]],
  ["seat", "Seat", [["Ibiza", 19_500], ["Arona", 22_000], ["Leon", 24_000], ["Ateca", 29_000], ["Tarraco", 36_000], ["Mii", 11_000], ["Alhambra", 32_000]]],
  ["skoda", "Škoda", [["Fabia", 18_500], ["Scala", 22_000], ["Kamiq", 24_000], ["Octavia", 28_000], ["Karoq", 30_000], ["Kodiaq", 38_000], ["Superb", 36_000], ["Enyaq", 39_000], ["Elroq", 31_000], ["Citigo", 11_000]]],
  ["smart", "Smart", [["ForTwo", 14_000], ["ForFour", 15_000], ["#1", 35_000], ["#3", 40_000]]],
  ["subaru", "Subaru", [["Impreza", 30_000], ["XV", 30_000], ["Crosstrek", 34_000], ["Forester", 40_000], ["Outback", 40_000], ["Solterra", 50_000], ["BRZ", 32_000]]],
  ["suzuki", "Suzuki", [["Ignis", 16_000], ["Swift", 18_700], ["Vitara", 25_000], ["S-Cross", 27_000], ["Jimny", 23_000], ["Swace", 29_000], ["Across", 46_000]]],
  ["tesla", "Tesla", [["Model 3", 40_000], ["Model Y", 45_000], ["Model S", 85_000], ["Model X", 95_000], ["Roadster", 90_000]]],
  ["toyota", "Toyota", [["Aygo X", 16_000], ["Yaris", 21_000], ["Yaris Cross", 24_000], ["Corolla", 30_000], ["C-HR", 32_000], ["RAV4", 36_000], ["bZ4X", 38_000], ["Prius", 36_000], ["GR86", 32_000], ["Supra", 55_000], ["Land Cruiser", 70_000], ["Hilux", 33_000]]],
  ["vauxhall", "Vauxhall", [["Corsa", 19_000], ["Astra", 25_500], ["Mokka", 24_500], ["Frontera", 24_000], ["Grandland", 33_000], ["Insignia", 28_000], ["Crossland", 21_000], ["Adam", 13_000], ["Zafira", 26_000]]],
  ["volkswagen", "Volkswagen", [["Up", 15_500], ["Polo", 20_500], ["Golf", 27_400], ["T-Roc", 28_000], ["T-Cross", 24_000], ["Tiguan", 35_000], ["Touareg", 65_000], ["Passat", 38_000], ["Arteon", 42_000], ["ID.3", 31_000], ["ID.4", 38_000], ["ID. Buzz", 58_000], ["Taigo", 26_000]]],
  ["volvo", "Volvo", [["EX30", 33_000], ["XC40", 36_000], ["EX40", 45_000], ["XC60", 50_000], ["XC90", 68_000], ["V60", 43_000], ["S60", 45_000], ["V90", 52_000], ["EX90", 97_000]]],
];

/** kebab-case as the catalog codes use it: "Range Rover Sport" -> "range-rover-sport", "ID.3" -> "id-3". */
export function toCatalogCode(...parts: string[]): string {
  return parts
    .join("-")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const manufacturers: Manufacturer[] = MAKES.map(([code, name]) => ({ code, name }));
const models: CarModel[] = MAKES.flatMap(([manufacturerCode, , rows]) =>
  rows.map(([name, basePrice]) => ({ code: toCatalogCode(manufacturerCode, name), manufacturerCode, name, basePrice })),
);

export const SEED_CATALOG: Catalog = { manufacturers, models };
