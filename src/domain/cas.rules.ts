/** CAS Registry Number check digit: the last digit equals Σ(position × digit) mod 10, positions counted from the right. */
export function isValidCas(cas: string): boolean {
  const m = /^(\d{2,7})-(\d{2})-(\d)$/.exec(cas);
  if (!m) return false;
  const body = (m[1]! + m[2]!).split('').reverse();
  const sum = body.reduce((acc, d, i) => acc + (i + 1) * Number(d), 0);
  return sum % 10 === Number(m[3]);
}
