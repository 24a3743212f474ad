/**
 * What the simulated Batch holds: profiles (attributes merged across updates, events in arrival
 * order) and the events recorded by the Trigger Events API, per app key and custom user id.
 */
import type { NormalizedOperation, NormalizedTriggerEvent } from './rules';
import type { ProfileKind, ProfileSnapshot, RecordedTriggerEvent } from './types';

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export class Store {
	private profiles = new Map<string, ProfileSnapshot>();
	private trigger: RecordedTriggerEvent[] = [];

	private static key(kind: ProfileKind, id: string): string {
		return `${kind}\u0000${id}`;
	}

	/** Apply one validated Profile API operation; a profile that does not exist yet is created. */
	applyOperation(op: NormalizedOperation, receivedAt: string): void {
		const key = Store.key(op.kind, op.id);
		let profile = this.profiles.get(key);
		if (!profile) {
			profile = { attributes: {}, attributeTypes: {}, events: [] };
			this.profiles.set(key, profile);
		}
		for (const write of op.attributes) {
			if (write.value === null) {
				// null deletes the attribute — https://doc.batch.com/developer/api/cep/profiles/update ("Deleting an attribute")
				delete profile.attributes[write.name];
				delete profile.attributeTypes[write.name];
			} else {
				profile.attributes[write.name] = clone(write.value);
				profile.attributeTypes[write.name] = write.type;
			}
		}
		for (const m of op.mutations) {
			// {"$add": [...], "$remove": [...]} on a string array — mass-update example (reward_programs)
			const current = profile.attributes[m.name];
			const list: string[] = Array.isArray(current) ? current.filter((v): v is string => typeof v === 'string') : [];
			for (const v of m.add) if (!list.includes(v)) list.push(v);
			const next = list.filter((v) => !m.remove.includes(v));
			profile.attributes[m.name] = next;
			profile.attributeTypes[m.name] = 'array';
		}
		for (const ev of op.events) {
			profile.events.push({
				name: ev.name,
				time: ev.time ?? receivedAt,
				attributes: clone(ev.attributes),
				attributeTypes: { ...ev.attributeTypes },
				...(ev.label !== undefined ? { label: ev.label } : {}),
				...(ev.tags !== undefined ? { tags: [...ev.tags] } : {}),
				receivedAt,
			});
		}
	}

	recordTriggerEvent(
		appApiKey: string,
		platform: string,
		customId: string,
		ev: NormalizedTriggerEvent,
		receivedAt: string,
	): void {
		this.trigger.push({
			platform,
			appApiKey,
			customId,
			name: ev.name,
			// Default: "Batch will use the time the event arrives at the server." — trigger-events-api/parameters
			time: ev.time ?? receivedAt.slice(0, 19),
			...(ev.label !== undefined ? { label: ev.label } : {}),
			...(ev.tags !== undefined ? { tags: [...ev.tags] } : {}),
			attributes: clone(ev.attributes),
			attributeTypes: { ...ev.attributeTypes },
			receivedAt,
		});
	}

	profile(kind: ProfileKind, id: string): ProfileSnapshot | undefined {
		const p = this.profiles.get(Store.key(kind, id));
		return p ? clone(p) : undefined;
	}

	/** Every profile, keyed by kind then id. */
	allProfiles(): Record<ProfileKind, Record<string, ProfileSnapshot>> {
		const out: Record<ProfileKind, Record<string, ProfileSnapshot>> = { custom_id: {}, installation: {} };
		for (const [key, p] of this.profiles) {
			const [kind, id] = key.split('\u0000') as [ProfileKind, string];
			out[kind][id] = clone(p);
		}
		return out;
	}

	triggerEvents(appApiKey?: string, customId?: string): RecordedTriggerEvent[] {
		return clone(
			this.trigger.filter(
				(e) => (appApiKey === undefined || e.appApiKey === appApiKey) && (customId === undefined || e.customId === customId),
			),
		);
	}

	profileCount(): number {
		return this.profiles.size;
	}

	reset(): void {
		this.profiles.clear();
		this.trigger = [];
	}
}
