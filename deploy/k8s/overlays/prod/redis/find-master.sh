# Prints the master's host: the one a running Sentinel names, or redis-0 when none answers (a first start).
find_master() {
  for peer in redis-0.redis redis-1.redis redis-2.redis; do
    master=$(redis-cli -h "$peer" -p 26379 --raw sentinel get-master-addr-by-name restaurant 2>/dev/null | head -n 1)
    if [ -n "$master" ]; then
      echo "$master"
      return
    fi
  done
  echo redis-0.redis
}
self="$(hostname).redis"
