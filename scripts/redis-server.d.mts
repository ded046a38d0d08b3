export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  restart(downMs?: number): Promise<void>;
}
export function redisServerAvailable(): boolean;
export function startRedis(): Promise<TestRedis>;
