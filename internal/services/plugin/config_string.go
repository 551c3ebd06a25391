package plugin

// String describes the value without its content: the framework writes a
// value's String() to its TRACE log (calling SemanticEquals), and a config
// holds secrets.
func (v configValue) String() string {
	switch {
	case v.IsNull():
		return "<null>"
	case v.IsUnknown():
		return "<unknown>"
	}
	return "<sensitive plugin config>"
}
