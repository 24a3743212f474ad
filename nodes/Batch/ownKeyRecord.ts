/**
 * The objects of a request body keyed by attribute names (Profile API `attributes`, Trigger Events API event
 * `attributes`), which version 2 also shows as `sent`: ordinary objects, every key an own data property.
 *
 * Not `Object.create(null)`: V8 keeps such an object as a hash table (about 270 bytes for 4 keys, against about
 * 60 for an ordinary object with the same keys), and each of these objects stays in n8n's run data, once per item
 * (`sent`), for the whole execution: measured with `npm run bench -- --memory` (bench/nodeMemory.js).
 * `__proto__` is the one name whose assignment would not create an own key (it would set the prototype): it is
 * defined instead. Validation refuses `__proto__`, `constructor` and `prototype` anyway, and names are lower-cased,
 * so no other member of Object.prototype can be named.
 */
export function setOwnKey<V>(record: Record<string, V>, key: string, value: V): void {
	if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
	else record[key] = value;
}
