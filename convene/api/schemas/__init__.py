"""What the API reads and answers: a module of marshmallow schemas per resource.

`*In` and `*Args` schemas read a request's body and query; `*Out` schemas dump the model
objects the services return, as they are (base.ObjectOut), so a resource's JSON is written
once, and the OpenAPI document is generated from the same schemas.
"""
