import { DEPLOYMENT_STATUSES } from '@podlaunch/contract'
import { z } from 'zod'
import { PageInput } from '../pagination.ts'

export const DeploymentId = z.object({ id: z.uuid() })

export const ListDeploymentsInput = PageInput.extend({
  status: z.array(z.enum(DEPLOYMENT_STATUSES)).max(DEPLOYMENT_STATUSES.length).optional(),
}).default({ limit: 50 })

// Event and log ids are bigserial numbers, carried as strings.
const SerialId = z.string().regex(/^\d{1,18}$/, { error: 'must be an event id' })

export const AfterInput = z.object({
  id: z.uuid(),
  after: SerialId.optional(),
  limit: z.number().int().min(1).max(1000).default(500),
})

export const OnEventInput = z
  .object({
    id: z.uuid().optional(),
    // Filled in by the SSE client from Last-Event-ID when it reconnects.
    lastEventId: SerialId.nullish(),
  })
  .default({})
