/**
 * What the demo salon sells, in major units of its currency (scaled to minor units by the loader,
 * so a yen salon gets ¥3 500 rather than ¥35). Russian names are used when the company is Russian.
 */
export interface DemoService {
  title: string;
  titleRu: string;
  min: number;
  max: number;
  vat: string;
}

export interface DemoProduct {
  title: string;
  titleRu: string;
  sku: string;
  barcode: string | null;
  kind: 'goods' | 'membership' | 'gift_card';
  price: number;
  vat: string;
}

export const DEMO_SERVICES: readonly DemoService[] = [
  { title: "Women's haircut", titleRu: 'Женская стрижка', min: 45, max: 90, vat: 'vat20' },
  { title: "Men's haircut", titleRu: 'Мужская стрижка', min: 25, max: 40, vat: 'vat20' },
  { title: 'Hair colouring', titleRu: 'Окрашивание волос', min: 80, max: 200, vat: 'vat20' },
  { title: 'Manicure', titleRu: 'Маникюр', min: 30, max: 30, vat: 'vat20' },
  { title: 'Beard trim', titleRu: 'Стрижка бороды', min: 15, max: 25, vat: 'vat20' },
  { title: 'Facial treatment', titleRu: 'Уход за лицом', min: 60, max: 120, vat: 'vat20' },
];

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    title: 'Argan oil shampoo 250 ml',
    titleRu: 'Шампунь с аргановым маслом 250 мл',
    sku: 'SHAMPOO-ARGAN-250',
    barcode: '4006381333931',
    kind: 'goods',
    price: 18,
    vat: 'vat20',
  },
  {
    title: 'Styling wax',
    titleRu: 'Воск для укладки',
    sku: 'WAX-STYLE-75',
    barcode: '4006381333948',
    kind: 'goods',
    price: 12,
    vat: 'vat20',
  },
  {
    title: 'Hair mask 200 ml',
    titleRu: 'Маска для волос 200 мл',
    sku: 'MASK-REPAIR-200',
    barcode: null,
    kind: 'goods',
    price: 24,
    vat: 'vat20',
  },
  {
    title: '5 haircuts membership',
    titleRu: 'Абонемент на 5 стрижек',
    sku: 'MEMB-CUT-5',
    barcode: null,
    kind: 'membership',
    price: 200,
    vat: 'none',
  },
  {
    title: 'Gift card 50',
    titleRu: 'Подарочная карта 50',
    sku: 'GIFT-50',
    barcode: null,
    kind: 'gift_card',
    price: 50,
    vat: 'none',
  },
  {
    title: 'Gift card 100',
    titleRu: 'Подарочная карта 100',
    sku: 'GIFT-100',
    barcode: null,
    kind: 'gift_card',
    price: 100,
    vat: 'none',
  },
];

export const DEMO_STAFF = ['Anna Weber', 'Mark Fischer', 'Olga Ivanova'] as const;

export const DEMO_CLIENTS: readonly { name: string; phone: string | null; email: string | null }[] = [
  { name: 'Julia Schmidt', phone: '+49 151 2345678', email: 'julia.schmidt@example.com' },
  { name: 'Thomas Müller', phone: '+49 160 9876543', email: null },
  { name: 'Elena Petrova', phone: null, email: 'elena.petrova@example.com' },
  { name: 'Lukas Becker', phone: '+49 171 5550123', email: 'lukas.becker@example.com' },
  { name: 'Sofia Rossi', phone: '+39 333 1234567', email: 'sofia.rossi@example.com' },
  { name: 'David Klein', phone: null, email: null },
];
