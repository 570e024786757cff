// Kubernetes resource quantities (`10Gi`, `500M`, `1.5e9`) as numbers.

const SUFFIX_FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY_PATTERN =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)$/;

/** The quantity's value (bytes for a storage size), or undefined when it does not parse. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const [, digits = '', exponent, suffix = ''] = match;
  const factor = exponent !== undefined ? 10 ** Number(exponent.slice(1)) : SUFFIX_FACTORS[suffix];
  const value = Number(digits) * (factor ?? Number.NaN);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}
