/** Every kind of API the command serves. A new kind adds itself here. */
import type { ApiKind } from './api-kind';
import { HTTP_API_KIND } from './http-api/http-api-kind';
import { REST_API_KIND } from './rest-api/rest-api-kind';

export const API_KINDS: ApiKind[] = [REST_API_KIND, HTTP_API_KIND];
