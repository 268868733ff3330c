/**
 * The nginx configuration of the scale-out recipe (docs/scale-out.md): one upstream of Concord
 * instances, WebSocket upgrades passed through (the minutes at /collab), server-sent events
 * unbuffered (the agenda's live events), and a failed or restarting instance skipped.
 * `npm run start:cluster` and the proxy's end-to-end test both run exactly this.
 */
export function nginxConfig({ dir, listen, instances }: { dir: string; listen: number; instances: number[] }): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream concord {
${instances.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join("\n")}
  }
  map $http_upgrade $connection_upgrade { default upgrade; "" close; }
  server {
    listen 127.0.0.1:${listen};
    client_max_body_size 60m;
    location / {
      proxy_pass http://concord;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # With its port, so the instances' Origin check sees the address the browser used.
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # WebSockets and the agenda's event stream stay open; events arrive as they are sent.
      proxy_read_timeout 1h;
      proxy_buffering off;
      proxy_next_upstream error timeout http_503;
    }
  }
}
`;
}
