n, m = gets.split.map(&:to_i)
g = Array.new(n + 1) { [] }
m.times do
  u, v, w = gets.split.map(&:to_i)
  g[u] << [v, w]
  g[v] << [u, w]
end
INF = Float::INFINITY
dist = Array.new(n + 1, INF)
dist[1] = 0
done = Array.new(n + 1, false)
n.times do
  u = (1..n).reject { |i| done[i] }.min_by { |i| dist[i] }
  break if u.nil? || dist[u] == INF
  done[u] = true
  g[u].each { |v, w| dist[v] = [dist[v], dist[u] + w].min }
end
puts dist[1..].map { |d| d == INF ? -1 : d }.join(" ")
