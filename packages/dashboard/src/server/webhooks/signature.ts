// The format lives with the receivers' helper in @flaglens/instrumentation, so signer and verifier cannot drift apart.
export { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from '@flaglens/instrumentation/webhooks';
