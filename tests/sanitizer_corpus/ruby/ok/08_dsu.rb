class DSU
  def initialize(n)
    @parent = (0...n).to_a
  end

  def find(x)
    @parent[x] = find(@parent[x]) if @parent[x] != x
    @parent[x]
  end

  def union(a, b)
    a = find(a)
    b = find(b)
    return false if a == b
    @parent[a] = b
    true
  end
end

n, m = gets.split.map(&:to_i)
dsu = DSU.new(n + 1)
comps = n
m.times { comps -= 1 if dsu.union(*gets.split.map(&:to_i)) }
puts comps
