module github.com/glidepath/glidepath

go 1.26.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/hashicorp/go-version v1.9.0
	github.com/open-feature/go-sdk v1.20.0
	go.yaml.in/yaml/v2 v2.4.2
	golang.org/x/sync v0.25.0
	sigs.k8s.io/yaml v1.6.0
)

require go.uber.org/mock v0.6.0 // indirect
