"""Background jobs on Django's Tasks framework (django-tasks-db queue in the portal's database).

- ``smartcity.jobs.services``: ``job_handler`` registers the work of a kind of job,
  ``job_start`` queues one for a user, ``Progress`` is what a handler reports (percent,
  rows, errors, result file),
  ``jobs_recover_stale`` retries or fails jobs whose worker died.
- ``smartcity.jobs.periodic``: periodic jobs (session clean-up, recovery, reminders hook).
- ``manage.py worker``: the task worker with its scheduler; ``manage.py run_periodic`` for a
  systemd timer.

The guide, with an example handler and the production set-up: docs/tasks.md.
"""
