/** Namespace ESO (and Reloader, when installed) runs in on every cluster. */
export const ESO_NAMESPACE = "external-secrets";
