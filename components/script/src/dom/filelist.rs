//! <https://w3c.github.io/FileAPI/#filelist-section>: the files an `<input type=file>`
//! selected (none can be chosen without a user interface; script assigns one with
//! `input.files = otherInput.files`).

use crate::dom::bindings::codegen::FileListBinding::FileListMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::file::File;

pub struct FileList<'js> {
    files: Vec<Dom<'js, File<'js>>>,
}

impl<'js> Trace<'js> for FileList<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for f in &self.files {
            f.trace(tracer);
        }
    }
}

impl<'js> FileList<'js> {
    pub fn new_inherited(files: Vec<Dom<'js, File<'js>>>) -> FileList<'js> {
        FileList { files }
    }
    pub fn files(&self) -> &[Dom<'js, File<'js>>] {
        &self.files
    }
}

impl<'js> FileListMethods<'js> for FileList<'js> {
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<Option<Dom<'js, File<'js>>>> {
        Ok(self.files.get(index as usize).cloned())
    }
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.files.len() as u32)
    }
}
