r, c = gets.split.map(&:to_i)
grid = Array.new(r) { gets.chomp }
dist = Array.new(r) { Array.new(c, -1) }
dist[0][0] = 0
queue = [[0, 0]]
until queue.empty?
  x, y = queue.shift
  [[1, 0], [-1, 0], [0, 1], [0, -1]].each do |dx, dy|
    nx, ny = x + dx, y + dy
    next if nx.negative? || ny.negative? || nx >= r || ny >= c
    next if grid[nx][ny] == "#" || dist[nx][ny] >= 0
    dist[nx][ny] = dist[x][y] + 1
    queue << [nx, ny]
  end
end
puts dist[r - 1][c - 1]
