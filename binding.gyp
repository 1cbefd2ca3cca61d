{
  "targets": [
    {
      "target_name": "iam_tailor_scan",
      "sources": ["native/scan.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}
