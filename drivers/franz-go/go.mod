module kafkaeos/franzgo

go 1.24
