# expect: 2:2
ENV.each { |k, v| puts "#{k}=#{v}" }
