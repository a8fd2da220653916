# expect: 3:2
require "fileutils"
FileUtils.rm_rf("../output")
