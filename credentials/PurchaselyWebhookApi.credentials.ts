import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The secret Purchasely signs its server webhooks with. It is only ever used to verify incoming
 * requests, so there is no API call to test it with: a wrong secret shows up as HTTP 401
 * answers to Purchasely (and to `send-test-event` when run with the right secret).
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- a webhook signing secret: Purchasely has no endpoint to check it against
export class PurchaselyWebhookApi implements ICredentialType {
	name = 'purchaselyWebhookApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- fixed public name (docs/architecture.md); this secret signs webhooks, it is not an API key
	displayName = 'Purchasely Webhook';

	icon: Icon = {
		light: 'file:../nodes/PurchaselyTrigger/purchasely.svg',
		dark: 'file:../nodes/PurchaselyTrigger/purchasely.dark.svg',
	};

	documentationUrl = 'https://docs.purchasely.com/integrations/webhook-1/detailed-specification';

	properties: INodeProperties[] = [
		{
			displayName: 'Shared Secret',
			name: 'sharedSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The "Client shared secret" of your app, in the Purchasely Console: your app > Settings > Webhooks. Purchasely signs every webhook request with it; requests whose signature does not match are refused.',
		},
	];
}
