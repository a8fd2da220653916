# expect: 2:2
File.rm_rf!("data")
