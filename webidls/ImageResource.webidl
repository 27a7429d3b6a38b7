// https://w3c.github.io/image-resource/#dom-imageresource

dictionary ImageResource {
  required USVString src;
  DOMString sizes;
  DOMString type;
  DOMString label;
};
