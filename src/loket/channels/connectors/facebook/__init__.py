"""Facebook Pages: comments under the page's posts (the `feed` webhook) and Messenger."""
