// podlaunch's API, pod endpoints and downloads, mounted through its fetch handler.
import { podlaunch } from '../../../../lib/podlaunch.ts'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

function handle(request: Request): Promise<Response> {
  return podlaunch().fetch(request)
}

export { handle as DELETE, handle as GET, handle as HEAD, handle as PATCH, handle as POST, handle as PUT }
