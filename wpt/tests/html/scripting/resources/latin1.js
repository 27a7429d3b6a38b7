self.latin1Text = "café";
