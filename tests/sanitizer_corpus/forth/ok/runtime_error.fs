s" boom" exception throw
