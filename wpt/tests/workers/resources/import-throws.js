throw new RangeError("thrown by an imported script");
