def words = System.in.text.split(/\s+/).findAll { it }
println words.collect { it as long }.sum(0L)
